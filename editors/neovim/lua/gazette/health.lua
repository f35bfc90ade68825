-- `:checkhealth gazette`: the Neovim version and start method, the server binary and its version,
-- the corpus root of the current buffer and whether a client is attached.

local M = {}

-- vim.health.start/ok/... since 0.10 (0.8-0.9 have report_*), require("health") on 0.7.
local function reporter()
  local health = vim.health or require("health")
  return {
    start = health.start or health.report_start,
    ok = health.ok or health.report_ok,
    warn = health.warn or health.report_warn,
    error = health.error or health.report_error,
    info = health.info or health.report_info,
  }
end

function M.check()
  local report = reporter()
  local gazette = require("gazette")
  local config = gazette.config or gazette.defaults

  report.start("gazette: Neovim")
  local version = vim.version()
  local version_text = ("%d.%d.%d"):format(version.major, version.minor, version.patch)
  if vim.fn.has("nvim-0.7") == 1 then
    report.ok(("Neovim %s, starting the server with %s"):format(version_text, gazette.start_method()))
  else
    report.error(("Neovim %s is too old: Gazette needs 0.7 or later"):format(version_text))
  end
  if vim.fn.has("nvim-0.9") == 1 then
    report.ok("semantic tokens: native (@lsp.type.locality, @lsp.type.person, ...)")
  elseif config.semantic_tokens_fallback then
    report.ok("semantic tokens: Gazette's extmark fallback (Neovim < 0.9)")
  else
    report.warn("semantic tokens: off (Neovim < 0.9 and semantic_tokens_fallback = false)")
  end
  if gazette.config == nil then
    report.warn('setup() has not been called: add require("gazette").setup({}) to your init.lua')
  end

  report.start("gazette: server")
  local cmd, problem = gazette.server_cmd(config)
  if cmd == nil then
    report.error(problem)
  else
    local output = vim.fn.system({ cmd[1], "--version" })
    if vim.v.shell_error == 0 then
      report.ok(("%s (%s)"):format(cmd[1], vim.trim(output)))
    else
      report.error(("%s --version failed: %s"):format(cmd[1], vim.trim(output)))
    end
  end

  report.start("gazette: current buffer")
  local name = vim.api.nvim_buf_get_name(0)
  local root = gazette.find_root(name, config.root_markers)
  if root ~= nil then
    report.ok("corpus root: " .. root)
  else
    report.info("no " .. table.concat(config.root_markers, "/") .. " above this buffer: it is not a corpus document")
  end
  local clients = gazette.clients(vim.api.nvim_get_current_buf())
  if #clients > 0 then
    report.ok(("attached to client %d"):format(clients[1].id))
  else
    report.info("no Gazette client attached to this buffer")
  end
end

return M
