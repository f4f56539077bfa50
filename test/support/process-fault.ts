// Test-only preload (node --import): on SIGUSR2 the process gets the fault named by MIRRORDESK_TEST_FAULT, as a bug
// in any module would cause it: 'rejection' (a promise rejected with nobody listening) or 'exception' (a throw from a
// timer callback).
const kind = process.env.MIRRORDESK_TEST_FAULT;

process.on('SIGUSR2', () => {
  if (kind === 'rejection') void Promise.reject(new Error('lost promise'));
  else if (kind === 'exception') setTimeout(() => {
    throw new Error('timer callback threw');
  }, 0);
});
