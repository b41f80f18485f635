// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-7GNwYjY5lCbyzsTmsAkXI+xTUx39UxLHx5PpSvQ8a64=',
  es: 'sha256-ippH34cq37/peaFcBf02fHS78aysULzpatnuBx0IkDc=',
  fr: 'sha256-YZJSQE4NS6R4b0+UvpgqpjYhoS2SPUAF9re/EEL899E=',
  it: 'sha256-SeXORLx5X3wRM9DGgBavTgBD/BftEhNQIwF/adFkK9I=',
  ja: 'sha256-yZIgEfsFB0kudxTQk0dE2jpoue4OwbLXDy801aF3kbw=',
  nl: 'sha256-7vWCGjwc5Vou/R/tmK7fedKSFlu8OubXWuvaoicDDzM=',
  pl: 'sha256-q2CGCVlUgLbtDfEuJC8TCbBEOfRWYJE7AH5omZSETG8=',
  pt: 'sha256-sh7y5cw1F72je+hpL0hmdhI4+yF95HmVhhi97Ve3704=',
  zh: 'sha256-dbwWd/DSdErNps7OU7Rbi7nD31GfHEtBRTCUAjDkS0Q=',
};
