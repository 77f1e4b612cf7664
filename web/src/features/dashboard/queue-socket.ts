import { useQueryClient } from '@tanstack/react-query';
import {
  SOCKET_EVENTS,
  type ClientToServerEvents,
  type QueueFigures,
  type ServerToClientEvents,
} from '@telemed/contracts';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { currentSession } from '../../lib/session';
import { FIGURES_KEY } from './dashboard-api';

/**
 * The api's notification channel while the dashboard is open: each `queue:figures` push replaces the figures the
 * dashboard shows, so it moves without a reload. Returns whether the channel is up (the dashboard polls while not).
 */
export function useLiveQueueFigures(): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      // read at every (re)connection: the api client keeps the token fresh
      auth: (send) => {
        send({ token: currentSession()?.accessToken ?? '' });
      },
      transports: ['websocket'],
    });
    socket.on('connect', () => {
      setConnected(true);
    });
    socket.on('disconnect', () => {
      setConnected(false);
    });
    // a refused handshake (a token that ran out) is not retried by socket.io itself; meanwhile the dashboard polls,
    // which refreshes the token, and the next attempt brings it
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect_error', () => {
      setConnected(false);
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (!socket.active) socket.connect();
      }, 10_000);
    });
    socket.on(SOCKET_EVENTS.queueFigures, (figures: QueueFigures) => {
      client.setQueryData(FIGURES_KEY, figures);
    });
    return () => {
      clearTimeout(retry);
      socket.close();
    };
  }, [client]);
  return connected;
}
