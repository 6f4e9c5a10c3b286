import type { FastifyInstance } from 'fastify';
import { ProblemException, type FieldError } from './problem';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_LOSSY = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The one decoding path for request bodies: only `application/json` in UTF-8 is read (no other charset,
 * no BOM, no form-urlencoded or text/plain), invalid UTF-8 is refused instead of silently replaced, and
 * the refusal names the field that held the bad bytes. NUL and lone surrogates in the decoded strings are
 * refused by the route's contract (libs/contracts/src/http/common.http.ts), field by field.
 */
export function useJsonBodyOnly(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    try {
      done(null, decodeJson(request.headers['content-type'], body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export function decodeJson(contentType: string | undefined, bytes: Buffer): unknown {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
    throw new ProblemException(
      415,
      'REQUEST.CHARSET',
      'Unsupported charset',
      `Send JSON in UTF-8, not ${charset.slice(0, 40)}.`,
      [],
      '请以 UTF-8 编码发送 JSON',
    );
  }
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ProblemException(
      400,
      'REQUEST.BOM',
      'Byte order mark',
      'Send JSON without a byte order mark (BOM).',
      [],
      '请求体不能以字节顺序标记（BOM）开头',
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed();
  }
}

function malformed(): ProblemException {
  return new ProblemException(
    400,
    'REQUEST.MALFORMED_JSON',
    'Malformed JSON',
    'The body is not valid JSON.',
    [],
    '请求体不是合法的 JSON',
  );
}

/** Finds the fields whose strings held the invalid bytes (they decode to U+FFFD when read leniently). */
function invalidUtf8(bytes: Buffer): ProblemException {
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8_LOSSY.decode(bytes));
  } catch {
    throw malformed();
  }
  const pointers: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      if (value.includes('\ufffd')) pointers.push(at);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
        if (key.includes('\ufffd')) pointers.push(`${at}/${escaped}`);
        walk(child, `${at}/${escaped}`);
      }
    }
  };
  walk(parsed, '');
  const errors: FieldError[] = (pointers.length > 0 ? pointers : ['']).map((pointer) => ({
    pointer,
    code: 'TEXT.INVALID_UTF8',
    messageZh: '文本不是合法的 UTF-8 编码',
    messageEn: 'The text is not valid UTF-8',
  }));
  return new ProblemException(
    400,
    'REQUEST.ENCODING',
    'Invalid UTF-8',
    'The body has bytes that are not valid UTF-8; every field is listed.',
    errors,
    '请求体含有非法的 UTF-8 字节，所涉字段已一并列出',
  );
}
