export * from './calendar';
export * from './workdays';
export * from './idNumber';
export * from './roles';
export * from './items';
export * from './income';
export * from './caseMachine';
