// The optional sound for critical alerts (off by default, remembered): a short Web Audio beep, no audio files.
import { create } from 'zustand';

const KEY = 'mirrordesk.criticalSound';
let ctx: AudioContext | null = null;

function saved(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/** Creates or resumes the audio context; call it from a click so the browser allows sound later. */
function prime(): AudioContext | null {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    return ctx;
  } catch {
    return null;
  }
}

/** Two short tones (880 Hz then 660 Hz). */
export function beep(): void {
  const ac = prime();
  if (!ac) return;
  [880, 660].forEach((freq, i) => {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.frequency.value = freq;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ac.destination);
    const at = ac.currentTime + i * 0.18;
    osc.start(at);
    osc.stop(at + 0.15);
  });
}

export const useAlertSound = create<{ on: boolean; set(on: boolean): void }>((set) => ({
  on: saved(),
  set: (on) => {
    if (on) prime();
    try {
      localStorage.setItem(KEY, on ? 'on' : 'off');
    } catch {
      // storage unavailable: the setting holds for this session
    }
    set({ on });
  },
}));
