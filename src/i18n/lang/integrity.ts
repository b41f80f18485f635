// Written by scripts/build-languages.mjs (npm run build): do not edit.
/** Subresource Integrity of each built-in language table in this folder, by language code. */
export const INTEGRITY: Record<string, string> = {
  de: 'sha256-NiRY5CpSQZTITmpqWU9y21t8GFSKJeRCM3jJjOXztn8=',
  es: 'sha256-MulDUYfSp1R+OOhdbMDUTo4VZNeSoE2/RJFCLZS2jVc=',
  fr: 'sha256-utmLXkiFb+rUM+bkRhmCb8VHrRtuBQ9OKwALV859vFA=',
  it: 'sha256-plfEyFtkxj90jkrsG2x8hELJg0t79Jo8VZOsRBebBGU=',
  ja: 'sha256-hhJmJAw4JwvpFp1SR9HrNHVfGPqBs8BKwMhxba90R1s=',
  nl: 'sha256-6+tw1HRA2Ckpct5RaXikoLkxJdVEjBNe8amM5z2eye0=',
  pl: 'sha256-RegukrWedgRsfOf2m7OOxxx9voU7vx+vXd+6nkxDdd8=',
  pt: 'sha256-vrNqev2HMNtck6XmkXY21c6TP8vUhmnG1qXt0HdjflY=',
  zh: 'sha256-EKynSmS52/WdaZNS+Jv5ajBABELLdDfT5U0q1PPQFFc=',
};
