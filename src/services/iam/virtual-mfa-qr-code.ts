/**
 * What an authenticator app scans to take a virtual MFA device's seed: an otpauth:// URI (the
 * Key URI Format of Google Authenticator, which the other apps follow) as a QR code in a PNG.
 */
import QRCode from 'qrcode'

/** The name an authenticator app shows above the device's codes. */
export const MFA_ISSUER = 'Gatehouse'

/**
 * `otpauth://totp/Gatehouse:<device name>@<account id>?secret=<Base32 seed>&issuer=Gatehouse`:
 * the label IAM gives ("$virtualMFADeviceName@$AccountName", the account id where no user is
 * set yet) after the issuer, and the defaults of every app (SHA1, 6 digits, 30 s) left implied,
 * as IAM leaves them.
 */
export function otpauthUri(accountId: string, deviceName: string, base32Seed: string): string {
  const label = `${encodeURIComponent(MFA_ISSUER)}:${encodeURIComponent(deviceName)}@${accountId}`
  return `otpauth://totp/${label}?secret=${base32Seed}&issuer=${encodeURIComponent(MFA_ISSUER)}`
}

/** `uri` as a QR code in a PNG image. */
export async function virtualMfaQrCode(uri: string): Promise<Buffer> {
  return QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 })
}
