/**
 * The lexer shared by `$filter` and `$orderby`: turns URL-decoded expression text into tokens.
 * Literals are recognised and validated here, where their position is known: strings with `''`
 * escapes, numbers, booleans and `null` (as identifiers), unquoted GUIDs, date-times, dates and
 * times of day, and enum literals written `microsoft.graph.connectorStatus'active'`.
 *
 * It runs in one linear pass over text the caller has already bounded in length.
 */

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'guid'
  | 'dateTimeOffset'
  | 'date'
  | 'timeOfDay'
  | 'enum'
  | '('
  | ')'
  | ','
  | '/'
  | ':'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** Offset of the token's first character in the expression (0-based). */
  pos: number;
  /** The token as written. */
  text: string;
  /**
   * The literal's value: a string's content (escapes removed), a number, a lower-case GUID, a
   * date-time as UTC ISO 8601 with milliseconds, a time of day as `hh:mm:ss.fffffff`, an enum
   * literal's member text. For identifiers, the identifier.
   */
  value: string | number;
  /** Numbers: whether written without fraction or exponent. */
  integer?: boolean;
  /** Enum literals: the type name written before the quoted member. */
  typeName?: string;
}

/** Throws the caller's 400 for a syntax error at a position; never returns. */
export type SyntaxFail = (reason: string, pos: number) => never;

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_.:-])/y;
const DATE_TIME =
  /(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?([Zz]|[+-]\d{2}:\d{2})?(?![A-Za-z0-9_.:-])/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})(?![A-Za-z0-9_.:-])/y;
const TIME_OF_DAY = /(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(?![A-Za-z0-9_.:-])/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const IDENTIFIER_CHAR = /[A-Za-z0-9_.:-]/;

/** What people write instead of OData's operators, and what to write instead. */
const OPERATOR_HINTS: [string, string][] = [
  ['==', "use 'eq'"],
  ['!=', "use 'ne'"],
  ['<>', "use 'ne'"],
  ['>=', "use 'ge'"],
  ['<=', "use 'le'"],
  ['&&', "use 'and'"],
  ['||', "use 'or'"],
  ['=', "use 'eq'"],
  ['>', "use 'gt'"],
  ['<', "use 'lt'"],
  ['!', "use 'not'"],
  ['"', 'string literals are written in single quotes'],
];

export function quoteForMessage(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

function match(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** Days in a (proleptic Gregorian) month. */
function daysInMonth(year: number, month: number): number {
  return [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1];
}

function validDate(y: string, m: string, d: string): boolean {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function lex(text: string, fail: SyntaxFail): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const c = text[pos];
    if (/\s/.test(c)) {
      pos++;
      continue;
    }
    const start = pos;
    if (c === '(' || c === ')' || c === ',' || c === '/' || c === ':') {
      tokens.push({ kind: c, pos, text: c, value: c });
      pos++;
      continue;
    }
    if (c === "'") {
      const { value, end } = readString(text, pos, fail);
      // No stored string holds U+0000 (src/odata/values.ts), and PostgreSQL refuses it as a parameter.
      if (value.includes('\u0000')) fail('string literals cannot contain the character U+0000', start);
      tokens.push({ kind: 'string', pos: start, text: text.slice(start, end), value });
      pos = end;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = match(GUID, text, pos))) {
      tokens.push({ kind: 'guid', pos, text: m[0], value: m[0].toLowerCase() });
      pos += m[0].length;
      continue;
    }
    if (/[0-9-]/.test(c)) {
      if ((m = match(DATE_TIME, text, pos))) {
        const [, y, mo, d, h, mi, s = '00', fraction = '', offset] = m;
        if (!validDate(y, mo, d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
          fail(`${quoteForMessage(m[0])} is not a valid date and time`, pos);
        if (offset && Number(offset.slice(1, 3)) > 23)
          fail(`${quoteForMessage(m[0])} has an invalid time zone offset`, pos);
        if (!offset && /^ \d{2}:\d{2}/.test(text.slice(pos + m[0].length))) {
          fail("the '+' of a date-time offset must be percent-encoded as %2B in a URL", pos + m[0].length);
        }
        const millis = fraction.padEnd(3, '0').slice(0, 3);
        const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}${!offset || offset.toUpperCase() === 'Z' ? 'Z' : offset}`;
        const time = Date.parse(iso);
        if (Number.isNaN(time)) fail(`${quoteForMessage(m[0])} is not a valid date and time`, pos);
        const value = new Date(time).toISOString();
        if (!/^\d{4}-/.test(value)) fail(`${quoteForMessage(m[0])} is outside the supported years 0000 to 9999`, pos);
        tokens.push({ kind: 'dateTimeOffset', pos, text: m[0], value });
        pos += m[0].length;
        continue;
      }
      if ((m = match(DATE, text, pos))) {
        if (!validDate(m[1], m[2], m[3])) fail(`${quoteForMessage(m[0])} is not a valid date`, pos);
        tokens.push({ kind: 'date', pos, text: m[0], value: m[0] });
        pos += m[0].length;
        continue;
      }
      if ((m = match(TIME_OF_DAY, text, pos))) {
        const [, h, mi, s = '00', fraction = ''] = m;
        if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || fraction.length > 7)
          fail(`${quoteForMessage(m[0])} is not a valid time of day`, pos);
        tokens.push({ kind: 'timeOfDay', pos, text: m[0], value: `${h}:${mi}:${s}.${fraction.padEnd(7, '0')}` });
        pos += m[0].length;
        continue;
      }
      if ((m = match(NUMBER, text, pos))) {
        const end = pos + m[0].length;
        if (end < n && IDENTIFIER_CHAR.test(text[end])) {
          const word = /^[A-Za-z0-9_.:-]*/.exec(text.slice(pos, pos + 60))![0];
          fail(`${quoteForMessage(word)} is not a valid literal`, pos);
        }
        const value = Number(m[0]);
        if (!Number.isFinite(value)) fail(`the number ${quoteForMessage(m[0])} is out of range`, pos);
        tokens.push({ kind: 'number', pos, text: m[0], value, integer: m[1] === undefined && m[2] === undefined });
        pos = end;
        continue;
      }
    }
    if ((m = match(IDENTIFIER, text, pos))) {
      const name = m[0];
      pos += name.length;
      if (text[pos] === "'") {
        if (!name.includes('.'))
          fail(`typed literals such as ${quoteForMessage(`${name}'…'`)} are not supported`, start);
        const { value, end } = readString(text, pos, fail);
        tokens.push({ kind: 'enum', pos: start, text: text.slice(start, end), value, typeName: name });
        pos = end;
        continue;
      }
      tokens.push({ kind: 'identifier', pos: start, text: name, value: name });
      continue;
    }
    const hint = OPERATOR_HINTS.find(([op]) => text.startsWith(op, pos));
    if (hint) fail(`unexpected ${quoteForMessage(hint[0])} (${hint[1]})`, pos);
    fail(`unexpected character ${quoteForMessage(c)}`, pos);
  }
  tokens.push({ kind: 'end', pos: n, text: '', value: '' });
  return tokens;
}

/** A single-quoted string starting at `pos` (the opening quote), with `''` standing for `'`. */
function readString(text: string, pos: number, fail: SyntaxFail): { value: string; end: number } {
  let value = '';
  let i = pos + 1;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close < 0) fail('unterminated string literal', pos);
    value += text.slice(i, close);
    if (text[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    return { value, end: close + 1 };
  }
}
