// gltf-validator (the Khronos glTF validator, compiled to JS) ships no type declarations;
// the tests use its byte validation only.
declare module 'gltf-validator' {
  interface Issue {
    code: string;
    message: string;
    severity: number;
    pointer?: string;
  }
  interface Report {
    issues: { numErrors: number; numWarnings: number; messages: Issue[] };
  }
  const validator: {
    validateBytes(data: Uint8Array, options?: { uri?: string; maxIssues?: number; externalResourceFunction?: (uri: string) => Promise<Uint8Array> }): Promise<Report>;
  };
  export default validator;
}
