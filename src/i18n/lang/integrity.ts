// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-rhcBoNcKuFES2YlwdlVSSlfDu4Jb5F6spF6jM/45pAQ=',
  es: 'sha256-K9Nv2SRuxW/O9mIZa9kKecE9M6fHYWJcdABSq/LiyVI=',
  fr: 'sha256-lPNIGuzMP1/hHLEQ9nf4z22oiblEiCUGjdhxeWhxJ1s=',
  it: 'sha256-E00oIqiyRRlnVjoSZBSUwjn83/kJJYGM2RsrAB2VJ7E=',
  ja: 'sha256-NPlzpEeo3V7VosfldGciHNmuAN0EIXQqz9c1UF8Hcxk=',
  nl: 'sha256-gxOhWUCeNINFC7Am3jrOm8Y3pdanIyNvhupBT4U5Y6k=',
  pl: 'sha256-gk61UHpPW51JCJMfmzmVdenvSdFK2iPP/o8EtxtKn50=',
  pt: 'sha256-/TBd3Zkf2kf08IsG6sQOUXPlbIBDtwwCN5gpb9kZqWI=',
  zh: 'sha256-yXoOGcEdXufV9+ArhJavD62H6f9Xmmjw5sI30pmMz3c=',
};
