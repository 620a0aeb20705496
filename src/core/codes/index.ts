export * from './types';
export { decode, parseNumber, readings, hresultFields, ipv4LittleEndian, isKnown, type DecodeOptions } from './decode';
export { scanNumbers, numberAt, hintFromText, HINT_IDS, type NumberToken } from './scan';
export { lookup, entries, headerNames, facilityNames, summaryFromName, HEADER_SOURCE } from './catalogue';
