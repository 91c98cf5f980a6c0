import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPreferences, type Preferences } from './prefer.js';

const cases: [string, string | string[] | undefined, Preferences][] = [
  ['no header', undefined, { includeUnknownEnumMembers: false }],
  ['empty header', '', { includeUnknownEnumMembers: false }],
  ['include-unknown-enum-members', 'include-unknown-enum-members', { includeUnknownEnumMembers: true }],
  ['names ignore case', 'Include-Unknown-Enum-Members', { includeUnknownEnumMembers: true }],
  ['maxpagesize', 'odata.maxpagesize=5', { includeUnknownEnumMembers: false, maxPageSize: 5 }],
  [
    'maxpagesize, name in any case, spaces around =',
    'OData.MaxPageSize = 25',
    { includeUnknownEnumMembers: false, maxPageSize: 25 },
  ],
  [
    'several preferences in one header',
    'return=minimal, odata.maxpagesize=7 ,include-unknown-enum-members',
    { includeUnknownEnumMembers: true, maxPageSize: 7 },
  ],
  [
    'repeated headers add up',
    ['odata.maxpagesize=3', 'include-unknown-enum-members'],
    { includeUnknownEnumMembers: true, maxPageSize: 3 },
  ],
  ['non-numeric maxpagesize is ignored', 'odata.maxpagesize=abc', { includeUnknownEnumMembers: false }],
  ['negative maxpagesize is ignored', 'odata.maxpagesize=-4', { includeUnknownEnumMembers: false }],
  ['fractional maxpagesize is ignored', 'odata.maxpagesize=2.5', { includeUnknownEnumMembers: false }],
  ['maxpagesize without a value is ignored', 'odata.maxpagesize', { includeUnknownEnumMembers: false }],
  [
    'unknown preferences are ignored',
    'respond-async, outlook.timezone="UTC", IdType="ImmutableId"',
    { includeUnknownEnumMembers: false },
  ],
  [
    'a name that only contains the preference does not count',
    'x-include-unknown-enum-members',
    { includeUnknownEnumMembers: false },
  ],
  ['empty tokens between commas', ',,include-unknown-enum-members,,', { includeUnknownEnumMembers: true }],
];

for (const [name, header, expected] of cases) {
  test(`readPreferences: ${name}`, () => {
    assert.deepEqual(readPreferences(header), expected);
  });
}

test('readPreferences: the last maxpagesize wins when repeated', () => {
  assert.equal(readPreferences('odata.maxpagesize=5, odata.maxpagesize=9').maxPageSize, 9);
});

// RFC 7240 §2: `preference = token [ BWS "=" BWS word ]` with `word = token / quoted-string`, so a
// quoted value is the same preference. prefer.ts only accepts a bare run of digits.
test('a quoted odata.maxpagesize value ("10") is honoured (RFC 7240 word = token / quoted-string)', () => {
  assert.equal(readPreferences('odata.maxpagesize="10"').maxPageSize, 10);
});
