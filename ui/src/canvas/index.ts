export { Canvas } from './Canvas';
export { packageHue } from './colors';
export { formatSize } from './format';
