-- SPDX-License-Identifier: MIT
-- links.lua - pandoc filter for the kit's site: a link to a Markdown file
-- becomes a link to its HTML page, and every local link target is listed
-- in the file named by $KIT_DOCS_LINKS so build.sh can check it exists.

local listing = os.getenv("KIT_DOCS_LINKS")
local out = listing and io.open(listing, "a") or nil

local function is_local(target)
  return not target:match("^%a[%w+.-]*:") and not target:match("^#")
end

function Link(link)
  local target = link.target
  if is_local(target) then
    local path, anchor = target:match("^([^#]*)(#?.*)$")
    if out and path ~= "" then
      out:write(path, "\n")
    end
    if path:match("%.md$") then
      link.target = path:gsub("%.md$", ".html") .. anchor
    end
  end
  return link
end

function Pandoc(doc)
  if out then out:close() end
  return doc
end
