import { useQueryClient } from '@tanstack/react-query';
import { SOCKET_EVENTS } from '@telemed/contracts';
import { useRealtimeConnected, useRealtimeEvent } from '../../lib/realtime';
import { FIGURES_KEY } from './dashboard-api';

/**
 * The queue figures live while the dashboard is open: each `queue:figures` push on the tab's socket replaces the
 * figures the dashboard shows, so it moves without a reload. Returns whether the socket is up (the dashboard polls
 * while it is not).
 */
export function useLiveQueueFigures(): boolean {
  const client = useQueryClient();
  useRealtimeEvent(SOCKET_EVENTS.queueFigures, (figures) => {
    client.setQueryData(FIGURES_KEY, figures);
  });
  return useRealtimeConnected();
}
