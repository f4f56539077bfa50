// CSV field quoting (RFC 4180).
import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from '../../../core/store/csv.js';

describe('csv', () => {
  it('leaves plain fields alone and quotes the special ones', () => {
    expect(csvField('AAPL')).toBe('AAPL');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvRow(['a', 'b,c', undefined, 1])).toBe('a,"b,c",,1\r\n');
  });
});
