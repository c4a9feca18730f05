// WebAssembly text -> binary with wabt (a dev dependency), with the features the kernels use (shared memory,
// SIMD, bulk memory). Shared by scripts/build-wasm.mjs and the test that checks the generated modules.
import wabtInit from 'wabt';

export async function compileWat(text, name) {
  const wabt = await wabtInit();
  const features = { threads: true, simd: true, bulk_memory: true };
  const mod = wabt.parseWat(name, text, features);
  try {
    mod.resolveNames();
    mod.validate(features);
    return mod.toBinary({ write_debug_names: false }).buffer;
  } finally {
    mod.destroy();
  }
}
