import type { DeliveryTallies } from './deliveryTallies.js';

/** Delivery tallies as HR's figures (domain/figures) keep them, so status() reads no delivery. */
export interface DeliveryFigures {
  read(): Promise<{ readonly deliveries: Pick<DeliveryTallies, 'of'> }>;
}
