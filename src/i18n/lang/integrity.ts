// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-Kei9s1+5eqH58XiVJIWbSAD+KMkTpoz/a2ZOq8AzQiY=',
  es: 'sha256-/YmHqtuMkD65/h7EZehAPkY+hNDlBGaqATaCDzNPO28=',
  fr: 'sha256-1gtuWqenoe6U/iw6LockiR1DsQ4QcKwXn+KcakKGGC0=',
  it: 'sha256-5d3Il/W21UF5BAYlEU5DteB0msNqQoCyUY4ldBdxdyQ=',
  ja: 'sha256-5cvAvVEIPsHu/0mzgT05jPP4p1EfHw1w91prcxDbXVs=',
  nl: 'sha256-nAib20QGQVXACzzZnbIsqm+/abgmhz5hC2rmRwOlHfE=',
  pl: 'sha256-xAfofb1U3AXVSC/yggbVP3ILgwLg7XoHpgOGPsKcuhM=',
  pt: 'sha256-68i7o4etPV5sw61zswyGeFKsAK3/3DhymWIfWUVCHAY=',
  zh: 'sha256-d1Vu7M3py6OC0vq+FsyRugTmNQs5D7ckx2EZ75wzrtI=',
};
