export * from './period';
export * from './model';
export * from './compute';
export * from './summary';
export * from './payable';
