// A reader for the VCR.py cassettes in shared/fixtures/zammad-cassettes: only what a replay needs
// (method, URI, request body, status, content type, response body). Their YAML is regular: single-quoted
// scalars folded over lines, `null` bodies, one interaction per `- request:` item.

export interface Interaction {
  method: string;
  uri: string;
  requestBody?: string;
  status: number;
  contentType?: string;
  body: string;
}

/** A YAML single-quoted scalar starting at `src[start] === "'"`: `''` is a quote, a line break folds to a space. */
export function quoted(src: string, start: number): string {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === "'") {
      if (src[i + 1] !== "'") return out;
      out += "'";
      i += 2;
      continue;
    }
    if (ch === '\n') {
      out = out.replace(/[ \t]+$/, '');
      let j = i + 1;
      let blank = 0;
      for (;;) {
        let k = j;
        while (src[k] === ' ' || src[k] === '\t') k++;
        if (src[k] !== '\n') {
          j = k;
          break;
        }
        blank++;
        j = k + 1;
      }
      out += blank ? '\n'.repeat(blank) : ' ';
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  throw new Error('unterminated quoted scalar');
}

function scalarAfter(part: string, re: RegExp): string | undefined {
  const m = re.exec(part);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  if (part[at] === "'") return quoted(part, at);
  const line = part.slice(at, part.indexOf('\n', at) < 0 ? undefined : part.indexOf('\n', at)).trim();
  return line === 'null' ? undefined : line;
}

export function readCassette(text: string): Interaction[] {
  return text
    .split(/^- request:\n/m)
    .slice(1)
    .map((chunk) => {
      const cut = chunk.indexOf('\n  response:\n');
      const req = chunk.slice(0, cut);
      const res = chunk.slice(cut);
      return {
        method: scalarAfter(req, /^ {4}method: /m) as string,
        uri: scalarAfter(req, /^ {4}uri: /m) as string,
        requestBody: scalarAfter(req, /^ {4}body: /m),
        status: Number(/^ {6}code: (\d+)/m.exec(res)?.[1]),
        contentType: /^ {6}Content-Type:\n\s+- (.+)$/m.exec(res)?.[1]?.trim(),
        body: scalarAfter(res, /^ {6}string: /m) ?? '',
      };
    });
}
