/** The credential of an `Authorization: Bearer …` header (the scheme in any case), or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^bearer[ \t]+(.*?)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}
