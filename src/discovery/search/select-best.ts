/**
 * The `count` best of the first `length` values of `values`, best first, by `compare` (negative
 * when its left argument is better; it must be a total order for the result to be unique).
 * Keeps a heap of the best `count` seen so far, so it costs O(length · log count) rather than a
 * full sort. @internal
 */
export function selectBest(
  values: Int32Array,
  length: number,
  count: number,
  compare: (left: number, right: number) => number,
): number[] {
  if (count <= 0 || length === 0) return [];
  if (count >= length) return Array.from(values.subarray(0, length)).sort(compare);
  // A binary heap whose root is the worst of the best `count` so far.
  const heap = Array.from(values.subarray(0, count));
  const worse = (left: number, right: number) => compare(heap[left]!, heap[right]!) > 0;
  const siftDown = (start: number) => {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= count) return;
      const right = left + 1;
      const child = right < count && worse(right, left) ? right : left;
      if (!worse(child, parent)) return;
      const swap = heap[parent]!;
      heap[parent] = heap[child]!;
      heap[child] = swap;
      parent = child;
    }
  };
  for (let index = (count >> 1) - 1; index >= 0; index--) siftDown(index);
  for (let index = count; index < length; index++) {
    const value = values[index]!;
    if (compare(value, heap[0]!) < 0) {
      heap[0] = value;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}
