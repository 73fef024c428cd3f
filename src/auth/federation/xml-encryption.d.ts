/**
 * The part of `xml-encryption` (auth0's XML Encryption for Node, CommonJS without types of its
 * own) that decrypt-saml-assertion.ts uses.
 */
declare module 'xml-encryption' {
  /** What decrypt takes besides the XML. */
  interface DecryptOptions {
    /** The RSA private key, PEM. */
    readonly key: string
    /** true (the default) refuses AES-CBC as well as RSA 1.5 and 3DES: all or nothing. */
    readonly disallowDecryptionWithInsecureAlgorithm?: boolean
    /** true (the default) writes to stderr when an algorithm it calls insecure is used. */
    readonly warnInsecureAlgorithm?: boolean
  }

  const xmlEncryption: {
    /**
     * Decrypts the EncryptedData in `xml` (a string, or a node whose subtree holds it and its
     * EncryptedKey) and calls back, synchronously, with the plaintext as UTF-8 text.
     */
    readonly decrypt: (
      xml: string | Node,
      options: DecryptOptions,
      callback: (error: Error | null, result?: string) => void,
    ) => void
  }
  export default xmlEncryption
}
