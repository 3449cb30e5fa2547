// The one place that writes to stdout: --help, --version and doctor, which never serve the protocol.
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
