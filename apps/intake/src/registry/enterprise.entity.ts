import { defineEntity, p } from '@mikro-orm/core';

/**
 * An enterprise of the roster (名录企业). Its registry version, history row and published event are written
 * by EnterpriseBatchRepository.publish after every change, for one enterprise or a whole import alike.
 */
export const EnterpriseSchema = defineEntity({
  name: 'Enterprise',
  tableName: 'enterprise',
  properties: {
    uscc: p.string().primary(),
    nameZh: p.string(),
    industryCode: p.string(),
    registeredDistrict: p.string(),
    contact: p.json<{ name: string; phone: string; email: string }>(),
    industryTags: p.array(),
    registryVersion: p.integer(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class Enterprise extends EnterpriseSchema.class {}
EnterpriseSchema.setClass(Enterprise);

/**
 * An effective-dated park membership (园区 / 分园 / 载体): a move ends the open one the day before and opens
 * a new one, so the past stays as it was. Dates are YYYY-MM-DD in Asia/Shanghai.
 */
export const EnterpriseMembershipSchema = defineEntity({
  name: 'EnterpriseMembership',
  tableName: 'enterprise_membership',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    uscc: p.string(),
    parkCode: p.string(),
    subParkCode: p.string(),
    carrierCode: p.string().nullable(),
    validFrom: p.date(),
    validTo: p.date().nullable(),
  },
});

export class EnterpriseMembership extends EnterpriseMembershipSchema.class {}
EnterpriseMembershipSchema.setClass(EnterpriseMembership);

/** An effective-dated street/town link (街镇), the street team's scope; changed like a membership. */
export const EnterpriseStreetSchema = defineEntity({
  name: 'EnterpriseStreet',
  tableName: 'enterprise_street',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    uscc: p.string(),
    streetCode: p.string(),
    validFrom: p.date(),
    validTo: p.date().nullable(),
  },
});

export class EnterpriseStreet extends EnterpriseStreetSchema.class {}
EnterpriseStreetSchema.setClass(EnterpriseStreet);
