// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-NRGJBBER+3IaSczTuN3zhGisoe2WqOsLQkJohwoo+0c=',
  es: 'sha256-vA4I231QF1MHEOx2YnYccl68VZSp/qPhKMozMafgRXc=',
  fr: 'sha256-FUET92zfEHXVrXF3Vo0oeFFkzyidz8jdTDHgVWKL1vs=',
  it: 'sha256-fE+BnBg1pnw4grnagUbTJJxNwUULhuSlmu+aGKqpRlw=',
  ja: 'sha256-3aYjoOIZaTTSwE/7r7mBzGYx7kM1WHHxbl1r68oDh24=',
  nl: 'sha256-aZa3RbT3klaTohGs8Sz82g4Ji17yyG8I2v0s7sOzcvc=',
  pl: 'sha256-1gWPJntMx20fS8mtkGnmXq0ZjSJ9DD3taMR/F/pTbzA=',
  pt: 'sha256-GoUjdwxMun7Chhc7gLVli4BF7foB6sXiEJk1AO3UK34=',
  zh: 'sha256-s7NBccjep7QUNYTj/qalt6PGHPqeg8AGkhNuP3r8KuE=',
};
