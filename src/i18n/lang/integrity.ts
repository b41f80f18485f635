// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-oWmfnvcWk35KCdHWmfRm79e8bPVNPf3SSq4qPxTpKmk=',
  es: 'sha256-gPpMXtERY5DOv2IbI3sgmat1wwJppyruZMT72xqQbnA=',
  fr: 'sha256-Ow+hNpM+vyPiNsZQmcUnVs1/3he1XWevLYCw1+aEz3E=',
  it: 'sha256-y4ZQ6nyiVCIPF2pPff7zKWfMTce0BhaqKcf+G7XNv2g=',
  ja: 'sha256-euY8LcpLXIAOsVzvpYB5iObjkaGQKAZAjJio9gogQgw=',
  nl: 'sha256-D19hHRcrRCSSgBgkOwNixG2UBlaRozq5ZfzKKgWtb2Q=',
  pl: 'sha256-76ArRq1xegjAWZUeSSfEaXkkQeOD14sbaZBKKdPMI+g=',
  pt: 'sha256-+ku9UzuqMgnOm+IGsy8ZpBRaIPx0q2fxuSqi1on4mb4=',
  zh: 'sha256-kXVm9pX9E6JUkbZNhdUfBolSGk/kw0Syk+5O0AWzDjo=',
};
