// The one API contract between the app and the dashboard: channels, events, results, envelope, typed client.
export * from './result.js';
export * from './snapshot.js';
export * from './records.js';
export * from './stats.js';
export * from './patches.js';
export * from './channel-names.js';
export * from './channels.js';
export * from './sync.js';
export * from './events.js';
export * from './envelope.js';
export * from './client.js';
export * from './socket-transport.js';
export * from './csp.js';
export * from './risk.js';
