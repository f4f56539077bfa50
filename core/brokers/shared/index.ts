// Shared broker utilities: rate limiting, reconnect backoff, seeded randomness, the adapter event emitter, alert
// throttling and secret redaction.
export { Backoff, type BackoffOptions } from './backoff.js';
export { mulberry32, pick, randomInt, type RandomSource } from './random.js';
export { PriorityTokenBucket, priorityFor, type RequestPriority, type TokenBucketOptions } from './token-bucket.js';
export { TypedEmitter, type Listener, type ListenerErrorHandler } from './typed-emitter.js';
export { AlertThrottle, type AlertThrottleOptions } from './alert-throttle.js';
export { holdsSecret, maskTokens, redact, redactValue, registerSecret } from './redact.js';
