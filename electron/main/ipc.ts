// IPC: one handler per contract channel; the sender must be our top-level frame; the shared dispatcher does the rest.
import { INVOKE_CHANNEL_NAMES, type EventChannel } from '../../core/contract/channel-names.js';
import { fail } from '../../core/contract/result.js';
import type { Dispatcher } from '../../core/app/dispatcher.js';
import type { FrameLike, IpcMainLike, WebContentsLike } from './electron-api.js';

export const DESKTOP_ACTOR = 'desktop';

export function registerIpc(
  ipcMain: IpcMainLike,
  dispatcher: Dispatcher,
  isTrustedSender: (frame: FrameLike | null) => boolean,
  onRefused: (channel: string, url: string) => void,
): void {
  for (const channel of INVOKE_CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event.senderFrame)) {
        onRefused(channel, event.senderFrame?.url ?? '(no frame)');
        return fail('unauthorized', 'refused: the request did not come from the Mirrordesk window');
      }
      return dispatcher.dispatch(channel, payload, DESKTOP_ACTOR);
    });
  }
}

/** Forwards every contract event to the window while it exists. */
export function forwardEvents(dispatcher: Dispatcher, contents: () => WebContentsLike | undefined): () => void {
  return dispatcher.subscribe((channel: EventChannel, payload: unknown) => {
    const wc = contents();
    if (wc && !wc.isDestroyed()) wc.send(channel, payload);
  });
}
