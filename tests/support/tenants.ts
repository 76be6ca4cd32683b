/** The organisation's tenant: the one the harness's users and channel members are in. */
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Another organisation's tenant. */
export const FOREIGN_TENANT = '5b1e6c0a-3f8e-4d2b-9c7a-0e4f2a6b8d10';
