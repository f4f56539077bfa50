// Shared broker utilities: rate limiting, reconnect backoff, seeded randomness and the adapter event emitter.
export { Backoff, type BackoffOptions } from './backoff.js';
export { mulberry32, pick, randomInt, type RandomSource } from './random.js';
export { PriorityTokenBucket, priorityFor, type RequestPriority, type TokenBucketOptions } from './token-bucket.js';
export { TypedEmitter, type Listener, type ListenerErrorHandler } from './typed-emitter.js';
