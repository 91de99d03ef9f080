import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Values every instance must share and that survive restarts, such as generated signing secrets. */
export const GatewaySetting = defineEntity({
  name: 'GatewaySetting',
  tableName: 'gateway_settings',
  properties: {
    key: p.string().length(80).primary(),
    value: p.text(),
  },
});
export type GatewaySetting = InferEntity<typeof GatewaySetting>;
