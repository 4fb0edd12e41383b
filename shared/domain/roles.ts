import { z } from 'zod';

/**
 * Station staff roles, lowest to highest. Each role may do everything the roles below it may do: a reviewer
 * (乡镇审核人/站长) also covers the window when the clerk is away, and an admin may act as reviewer.
 */
export const STAFF_ROLES = ['clerk', 'reviewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who can act on a case. 'county' is not a station login: it marks decisions that arrive from the county server
 * through sync (approval, rejection, economic-check results), so the same state machine applies them.
 */
export const ACTORS = [...STAFF_ROLES, 'county'] as const;
export type Actor = (typeof ACTORS)[number];

export const ROLE_LABELS: Readonly<Record<Actor, string>> = {
  clerk: '窗口受理员',
  reviewer: '乡镇审核人',
  admin: '系统管理员',
  county: '县民政局',
};

export const StaffRoleSchema = z.enum(STAFF_ROLES, { error: '无效的角色' });
export const ActorSchema = z.enum(ACTORS, { error: '无效的操作主体' });

/** The station roles at or above `minimum`, e.g. rolesAtLeast('reviewer') → ['reviewer', 'admin']. */
export function rolesAtLeast(minimum: StaffRole): readonly StaffRole[] {
  return STAFF_ROLES.slice(STAFF_ROLES.indexOf(minimum));
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

export function isActor(value: unknown): value is Actor {
  return typeof value === 'string' && (ACTORS as readonly string[]).includes(value);
}
