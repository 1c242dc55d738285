import { describe, expect, it } from 'vitest';
import { externalMemoryCollector } from './external-memory.js';

const MB = 1 << 20;

describe('externalMemoryCollector', () => {
  it('collects only when ArrayBuffer memory has grown by the step since the last collection', () => {
    let level = 10 * MB;
    let collections = 0;
    const check = externalMemoryCollector(8 * MB, {
      arrayBuffers: () => level,
      gc: () => {
        collections++;
        level = 12 * MB; // what stays live after the collection
      },
    });
    level = 17 * MB;
    check();
    expect(collections).toBe(0);
    level = 18 * MB;
    check();
    expect(collections).toBe(1);
    // The live level after the collection (12 MB) is the new base.
    level = 19 * MB;
    check();
    expect(collections).toBe(1);
    level = 20 * MB;
    check();
    expect(collections).toBe(2);
  });

  it('measures growth from the lowest level seen when buffers were freed in between', () => {
    let level = 30 * MB;
    let collections = 0;
    const check = externalMemoryCollector(8 * MB, { arrayBuffers: () => level, gc: () => collections++ });
    level = 5 * MB;
    check();
    level = 14 * MB;
    check();
    expect(collections).toBe(1);
  });

  it('runs a real full collection with the default hooks', () => {
    const check = externalMemoryCollector(1);
    // Garbage buffers of 4 MB: the collection must not throw and must leave the process usable.
    for (let i = 0; i < 4; i++) new Uint8Array(MB).fill(i);
    expect(() => check()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
