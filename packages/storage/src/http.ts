// '@tidemark/storage/http': the driver of a tidemark-agent's repository over HTTP(S). openStorage loads
// it on demand for an http(s):// location; import it directly to construct one.
export { HttpStorage } from './http-storage.js'
