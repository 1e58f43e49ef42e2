// draco3dgltf ships no type declarations; Cusp only passes its decoder module to glTF-Transform.
declare module 'draco3dgltf' {
  const draco3d: {
    createDecoderModule(options?: Record<string, unknown>): Promise<unknown>;
    createEncoderModule(options?: Record<string, unknown>): Promise<unknown>;
  };
  export default draco3d;
}
