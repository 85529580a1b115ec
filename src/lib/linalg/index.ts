export { dot, dotAt, dotAtFma } from './dot.ts';
export { fma } from './fma.ts';
export { axpy, axpyAt, axpyAtFma, addScaled, scale } from './axpy.ts';
export { norm1, norm2, normInf, allFinite } from './norms.ts';
export { matvec } from './matvec.ts';
export { choleskyFactor, choleskySolve, type CholeskyResult } from './cholesky.ts';
export { eigSym, type EigSymResult } from './eigSym.ts';
export { det2, inv2, solve2, eigSym2 } from './mat2.ts';
