// Every configured credential is registered here; every text that leaves the process passes through redact().
const secrets = new Set<string>();

export function addSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[redacted]');
  }
  return out;
}

/** Keys whose values are credentials wherever they appear in backend records or arguments. */
export const SECRET_KEY =
  /^(password\d?|password_?confirm|activationpassword|secret(_?key)?|api_?key|auth_?token|token)$/i;
