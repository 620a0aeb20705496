export * from './types';
export { decode, parseNumber, readings, hresultFields, ipv4LittleEndian } from './decode';
export { scanNumbers, numberAt, type NumberToken } from './scan';
export { lookup, entries } from './catalogue';
