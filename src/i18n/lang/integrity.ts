// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-ngpdBsm8F0KWZD1H8A3g7YTM+wKfMJU3femnZoX1sRk=',
  es: 'sha256-qlseYr1HSg0ZTrORnSfCR0gcXyokBnDY/tp6eJxajnw=',
  fr: 'sha256-BGmNjGZNn+vpiminj9pH+w6SghA1t1Ck7//fPEfTPAs=',
  it: 'sha256-KgecOmorhZ0PfbhHpZQRDKsW4/YAKbzQUOWgSuKWZf8=',
  ja: 'sha256-Fh/oGAwCE3F5+4biMzYLUadkM5NxRGKWhAXlJPor+bE=',
  nl: 'sha256-gzyoxzFuwiAwKan0Y/SSlWqOj1p+/v+dv7v2WuthzSw=',
  pl: 'sha256-TX7bl5cDJbRCThz18JKrmQPVUOVNsH5buUR9DcxLhfI=',
  pt: 'sha256-Wwl1JjD1XrvHgvhSsFd39ukh1VMFZOZwLaWRm+dNqEo=',
  zh: 'sha256-SfnCku29PddkZBK9MT5JqLtMLdfk1w5UVTWIx4qCjrM=',
};
