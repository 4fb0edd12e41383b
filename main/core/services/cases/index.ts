export { createCase } from './create';
export { actOnCase, setMaterials, type ActRequest } from './act';
export { caseDetail, caseEvents, listCases, CREATE_EVENT } from './read';
export { findDuplicates } from './duplicates';
export { localIso, localDateOf } from './clock';
