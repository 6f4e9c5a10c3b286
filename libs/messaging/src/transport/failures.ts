// The classification lives in libs/platform (HTTP answers and consumers share it); re-exported for the transport.
export { PermanentError, TransientError, classifyFailure, type FailureKind } from '@huoju/platform';
