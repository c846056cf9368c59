/** Worker `index`'s share [lo, hi) of n items when `count` workers split them evenly and in order. */
export const share = (n: number, index: number, count: number): [number, number] => [Math.floor((index * n) / count), Math.floor(((index + 1) * n) / count)]
