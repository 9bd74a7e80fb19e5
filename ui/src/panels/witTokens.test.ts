import { describe, expect, it } from 'vitest';
import { tokenizeWit, type WitToken } from './witTokens';

const kinds = (tokens: WitToken[]) => tokens.filter((t) => t.kind !== 'space').map((t) => `${t.kind}:${t.text}`);

describe('tokenizeWit', () => {
  it('splits a world into keywords, packages, versions, names and types', () => {
    const wit = `package root:component;

/// The world.
world root {
  import wasi:cli/environment@0.2.6;
  // a comment
  export handle-request: func(req: string) -> result<list<u8>, %error>;
}`;
    const tokens = tokenizeWit(wit);
    expect(tokens.map((t) => t.text).join('')).toBe(wit);
    expect(kinds(tokens)).toEqual([
      'keyword:package',
      'package:root:component',
      'punct:;',
      'doc:/// The world.',
      'keyword:world',
      'definition:root',
      'punct:{',
      'keyword:import',
      'package:wasi:cli/environment',
      'version:@0.2.6',
      'punct:;',
      'comment:// a comment',
      'keyword:export',
      'name:handle-request',
      'punct::',
      'keyword:func',
      'punct:(',
      'name:req',
      'punct::',
      'type:string',
      'punct:)',
      'punct:->',
      'type:result',
      'punct:<',
      'type:list',
      'punct:<',
      'type:u8',
      'punct:>',
      'punct:,',
      'ident:%error',
      'punct:>',
      'punct:;',
      'punct:}',
    ]);
  });

  it('marks defined type names and keeps keyword-escaped identifiers plain', () => {
    const tokens = kinds(tokenizeWit('record point { %type: u32 }\nenum region { eu, us }\nuse wasi:io/streams@0.2.0.{input-stream};'));
    expect(tokens).toContain('definition:point');
    expect(tokens).toContain('name:%type');
    expect(tokens).toContain('definition:region');
    expect(tokens).toContain('ident:eu');
    expect(tokens).toContain('package:wasi:io/streams');
    expect(tokens).toContain('version:@0.2.0');
    expect(tokens).toContain('ident:input-stream');
  });

  it('never fails on odd input and loses no text', () => {
    const odd = 'let x = new a:b { ... }; "str\\"ing" /* block */ #? 12 ✓';
    expect(tokenizeWit(odd).map((t) => t.text).join('')).toBe(odd);
    expect(kinds(tokenizeWit(odd))).toContain('string:"str\\"ing"');
    expect(kinds(tokenizeWit(odd))).toContain('comment:/* block */');
  });
});
