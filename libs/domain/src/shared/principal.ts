// What holds workspace and project roles is the access graph's notion (libs/access).
export { principalKey, type Principal } from '#libs/access';
