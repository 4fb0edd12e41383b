import { z } from 'zod';

// Messages zod generates by itself (a field of the wrong type, a missing field) reach clerks: make them Chinese.
z.config(z.locales.zhCN());
