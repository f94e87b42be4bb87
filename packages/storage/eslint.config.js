export { default } from '@tidemark/eslint-config'
