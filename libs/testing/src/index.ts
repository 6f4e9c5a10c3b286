export * from './harness/infrastructure';
export * from './harness/test-environment';
export * from './generators';
export * from './harness/http-client';
export * from './demo/demo-filings';
export * from './harness/platform-processes';
export * from './harness/service-under-test';
export * from './harness/fault/throwaway-kafka';
