const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Counts CSV records (data rows, header excluded) as chunks stream by: line breaks outside
 * quoted fields. Jumps between quotes and newlines with indexOf, so it keeps up with the
 * download instead of reading the saved file again.
 */
export function createRowCounter(): { push(chunk: Uint8Array): void; rows(): number } {
  let lines = 0;
  let quoted = false;
  let last = NEWLINE;
  return {
    push(chunk) {
      let i = 0;
      while (i < chunk.length) {
        const q = chunk.indexOf(QUOTE, i);
        if (quoted) {
          if (q === -1) break;
          quoted = false;
          i = q + 1;
          continue;
        }
        const end = q === -1 ? chunk.length : q;
        for (
          let n = chunk.indexOf(NEWLINE, i);
          n !== -1 && n < end;
          n = chunk.indexOf(NEWLINE, n + 1)
        ) {
          lines++;
        }
        if (q === -1) break;
        quoted = true;
        i = q + 1;
      }
      if (chunk.length) last = chunk[chunk.length - 1] as number;
    },
    rows() {
      const records = lines + (last === NEWLINE ? 0 : 1); // a last line without a line break
      return Math.max(0, records - 1);
    },
  };
}
