-- wrk script of `imgsearch bench query` (WrkClient in the bench module): POST $WRK_PATH with the multipart
-- bodies body-0.bin, body-1.bin, ... of folder $WRK_BODIES, in turn, each with Content-Type $WRK_CONTENT_TYPE.
local dir, path, contentType = os.getenv("WRK_BODIES"), os.getenv("WRK_PATH"), os.getenv("WRK_CONTENT_TYPE")
local bodies = {}
while true do
  local f = io.open(dir .. "/body-" .. #bodies .. ".bin", "rb")
  if f == nil then break end
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
local n = 0
request = function()
  n = n % #bodies + 1
  return wrk.format("POST", path, {["Content-Type"] = contentType}, bodies[n])
end
