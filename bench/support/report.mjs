// Formatting shared by the benchmarks' printed reports.

/** `value` right-aligned in `width` characters. */
export const pad = (value, width) => String(value).padStart(width);

/** One table row: each cell right-aligned in its width, separated by `separator`. */
export const row = (cells, widths, separator = ' ') => cells.map((cell, i) => pad(cell, widths[i])).join(separator);

/** `x / y` as a ratio with two decimals: `0.87x`. */
export const times = (x, y) => `${(x / y).toFixed(2)}x`;
