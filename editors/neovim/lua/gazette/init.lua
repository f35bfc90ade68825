-- Gazette for Neovim: starts `gazette serve` for corpus buffers, links highlight groups for the
-- entity semantic tokens and defines the :Gazette* commands.
--
-- Works on Neovim 0.7 and later: vim.lsp.config/vim.lsp.enable on 0.11+, vim.lsp.start on 0.8-0.10,
-- vim.lsp.start_client with our own per-root client reuse on 0.7.

local M = {}

--- Defaults of `require("gazette").setup()`; every key can be overridden.
M.defaults = {
  -- The command starting the server. When nil, the binary is `server_path`, else `gazette` on
  -- $PATH, else a binary built in the Gazette checkout holding this plugin (target/release, then
  -- target/debug), followed by `serve`.
  cmd = nil,
  server_path = nil,
  -- Filetypes of corpus documents.
  filetypes = { "text" },
  -- A buffer belongs to the corpus when one of these files is found in an ancestor directory.
  root_markers = { "gazette.toml" },
  -- Editor settings of the server (the `gazette` section): debounceMs, logLevel, inlayHints, ...
  settings = {},
  -- Passed to the client as-is.
  on_attach = nil,
  capabilities = nil,
  -- Link the Gazette* and @lsp.type.* highlight groups (set false to define them yourself).
  highlights = true,
  -- Define the :Gazette* user commands.
  commands = true,
  -- On Neovim < 0.9, which has no semantic token support, colour entities with extmarks.
  semantic_tokens_fallback = true,
}

--- The entity token types of the server legend and the groups they link to by default. The VS Code
--- extension contributes the same types (editors/vscode/package.json); the test checks both agree.
M.token_types = {
  { type = "locality", group = "GazetteLocality", link = "Type" },
  { type = "person", group = "GazettePerson", link = "Function" },
  { type = "organisation", group = "GazetteOrganisation", link = "Structure" },
  { type = "date", group = "GazetteDate", link = "Number" },
  { type = "duration", group = "GazetteDuration", link = "Number" },
}

--- The server's own names for some actions (the review commands live under gazette.review.*).
local preferred_names = {
  acceptAllSuggestions = { "gazette.review.acceptAll" },
  annotateSelection = { "gazette.review.decide" },
  exportAnnotations = { "gazette.annotations.export" },
}

--- Names the server may give a command, best first (same table as the VS Code extension).
local function server_command_names(action)
  local names = vim.deepcopy(preferred_names[action] or {})
  vim.list_extend(names, { "gazette." .. action, "gazette.server." .. action, "gazette/" .. action, action })
  return names
end

--- The entity labels, as the server and the annotation files spell them.
M.labels = { "LOC", "PER", "ORG", "DATE", "DURATION" }
--- The formats of `gazette export`.
M.export_formats = { "jsonl", "brat", "conll", "w3c", "tei" }

--- The user commands, mirroring the VS Code command palette.
M.commands = {
  { name = "GazetteStart", desc = "Start the Gazette server for this buffer, even outside a corpus" },
  { name = "GazetteRestart", desc = "Restart the Gazette server" },
  { name = "GazetteReindex", desc = "Re-index the corpus", server = "reindex" },
  { name = "GazetteExportAnnotations", desc = "Export annotations (arguments: [format] [output directory])", server = "exportAnnotations" },
  { name = "GazetteAcceptAllSuggestions", desc = "Accept all suggestions in this document (argument: [LABEL])", server = "acceptAllSuggestions" },
  { name = "GazetteAnnotate", desc = "Annotate the selected span (argument: LABEL)", server = "annotateSelection" },
  { name = "GazetteMentions", desc = "List the mentions of the locality under the cursor" },
  { name = "GazetteLog", desc = "Open the LSP log" },
}

M.config = nil
-- Neovim 0.7 only: root directory -> client id, so that buffers of one corpus share one server.
local clients_by_root = {}

-- Overridable by the tests, which exercise the 0.11 code path on older versions with stubs.
function M._has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

local function has(version)
  return M._has(version)
end

local function notify(message, level)
  vim.notify("Gazette: " .. message, level or vim.log.levels.INFO)
end

local function is_executable(path)
  return path ~= nil and path ~= "" and vim.fn.executable(path) == 1
end

--- The directory of the Gazette checkout this plugin lives in (editors/neovim/lua/gazette/init.lua
--- is four levels below it), or nil when the plugin was copied elsewhere.
local function checkout_root()
  local source = debug.getinfo(1, "S").source:sub(2)
  local root = vim.fn.fnamemodify(source, ":p:h:h:h:h:h")
  if vim.fn.filereadable(root .. "/Cargo.toml") == 1 then
    return root
  end
  return nil
end

--- Finds the server binary: `server_path`, then $PATH, then the checkout's build.
--- Returns the path and where it came from, or nil and the list of places tried.
function M.find_binary(config)
  config = config or M.config or M.defaults
  if config.server_path ~= nil and config.server_path ~= "" then
    local path = vim.fn.expand(config.server_path)
    if is_executable(path) then
      return path, "server_path"
    end
    return nil, { path }
  end
  local on_path = vim.fn.exepath("gazette")
  if on_path ~= "" then
    return on_path, "PATH"
  end
  local tried = { "gazette on $PATH" }
  local root = checkout_root()
  if root ~= nil then
    for _, profile in ipairs({ "release", "debug" }) do
      local candidate = root .. "/target/" .. profile .. "/gazette"
      table.insert(tried, candidate)
      if is_executable(candidate) then
        return candidate, "checkout"
      end
    end
  end
  return nil, tried
end

--- The command line of the server, or nil and a message saying what to do.
function M.server_cmd(config)
  config = config or M.config or M.defaults
  if config.cmd ~= nil then
    return config.cmd
  end
  local binary, where = M.find_binary(config)
  if binary == nil then
    return nil,
      "no `gazette` binary found (tried " .. table.concat(where, ", ") .. "). "
        .. "Install it with `cargo install --path server/cli` or pass `server_path` to setup()."
  end
  return { binary, "serve" }
end

--- The nearest ancestor of `path` (a file or directory) holding a root marker, or nil.
function M.find_root(path, markers)
  markers = markers or (M.config or M.defaults).root_markers
  if path == nil or path == "" then
    return nil
  end
  local directory = vim.fn.isdirectory(path) == 1 and path or vim.fn.fnamemodify(path, ":p:h")
  for _, marker in ipairs(markers) do
    -- findfile's ";" searches upwards; it exists on every version (vim.fs.find needs 0.8).
    local found = vim.fn.findfile(marker, vim.fn.fnameescape(directory) .. ";")
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h")
    end
  end
  return nil
end

local function get_clients(filter)
  if vim.lsp.get_clients ~= nil then
    return vim.lsp.get_clients(filter)
  end
  local result = {}
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if (filter.name == nil or client.name == filter.name) then
      if filter.bufnr == nil or vim.lsp.buf_is_attached(filter.bufnr, client.id) then
        table.insert(result, client)
      end
    end
  end
  return result
end

--- The Gazette clients, optionally only those attached to `bufnr`.
function M.clients(bufnr)
  return get_clients({ name = "gazette", bufnr = bufnr })
end

local function client_config(config, root, cmd)
  local capabilities = config.capabilities or vim.lsp.protocol.make_client_capabilities()
  local function on_attach(client, bufnr)
    if config.semantic_tokens_fallback and not has("0.9") then
      require("gazette.semantic").attach(client, bufnr)
    end
    if config.on_attach ~= nil then
      config.on_attach(client, bufnr)
    end
  end
  return {
    name = "gazette",
    cmd = cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } } or nil,
    init_options = config.settings,
    settings = { gazette = config.settings },
    capabilities = capabilities,
    on_attach = on_attach,
  }
end

--- Starts (or reuses) the server for `bufnr` rooted at `root` (a directory; nil means the buffer's
--- own directory, for :GazetteStart outside a corpus).
function M.start(bufnr, root)
  local config = M.config or M.defaults
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  root = root or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h")
  local cmd, problem = M.server_cmd(config)
  if cmd == nil then
    notify(problem, vim.log.levels.ERROR)
    return nil
  end
  local lsp_config = client_config(config, root, cmd)
  if vim.lsp.start ~= nil then
    return vim.lsp.start(lsp_config, { bufnr = bufnr })
  end
  local client_id = clients_by_root[root]
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    client_id = vim.lsp.start_client(lsp_config)
    if client_id == nil then
      notify("the server failed to start (" .. table.concat(cmd, " ") .. ")", vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[root] = client_id
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return client_id
end

local function is_corpus_filetype(config, filetype)
  return vim.tbl_contains(config.filetypes, filetype)
end

--- Neovim 0.11+: declare the server once and let Neovim attach it to matching buffers.
local function enable_native(config)
  local cmd_or_problem = { M.server_cmd(config) }
  local base = client_config(config, nil, cmd_or_problem[1])
  base.root_dir = function(bufnr, on_dir)
    local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), config.root_markers)
    if root ~= nil then
      if cmd_or_problem[1] == nil then
        notify(cmd_or_problem[2], vim.log.levels.ERROR)
        return
      end
      on_dir(root)
    end
  end
  base.workspace_folders = nil
  base.name = nil
  base.filetypes = config.filetypes
  base.root_markers = config.root_markers
  vim.lsp.config("gazette", base)
  vim.lsp.enable("gazette")
end

--- Older versions: start on FileType for buffers under a root marker.
local function enable_autocmd(config)
  local group = vim.api.nvim_create_augroup("gazette_start", { clear = true })
  local function maybe_start(bufnr)
    if not is_corpus_filetype(config, vim.bo[bufnr].filetype) or vim.bo[bufnr].buftype ~= "" then
      return
    end
    local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), config.root_markers)
    if root ~= nil then
      M.start(bufnr, root)
    end
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      maybe_start(args.buf)
    end,
  })
  -- Buffers already open when setup() runs (a lazily loaded plugin).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      maybe_start(bufnr)
    end
  end
end

--- Links the highlight groups. `default` links leave a colour scheme's own choices alone.
function M.apply_highlights()
  for _, token in ipairs(M.token_types) do
    vim.cmd(("highlight default link %s %s"):format(token.group, token.link))
    -- Neovim 0.9+ highlights semantic tokens with @lsp.type.<type>; older versions ignore it.
    -- (Checked without the tests' override: 0.7 rejects the name.)
    if vim.fn.has("nvim-0.8") == 1 then
      vim.cmd(("highlight default link @lsp.type.%s %s"):format(token.type, token.group))
    end
  end
end

--- The name the server uses for an action, or nil when it does not advertise it.
function M.resolve_server_command(client, action)
  local provider = client.server_capabilities and client.server_capabilities.executeCommandProvider
  local advertised = provider and provider.commands or {}
  for _, name in ipairs(server_command_names(action)) do
    if vim.tbl_contains(advertised, name) then
      return name
    end
  end
  return nil
end

local function current_client()
  local bufnr = vim.api.nvim_get_current_buf()
  local attached = M.clients(bufnr)
  if #attached > 0 then
    return attached[1], bufnr
  end
  local any = M.clients()
  if #any > 0 then
    return any[1], bufnr
  end
  notify("the server is not running for this buffer; use :GazetteStart", vim.log.levels.WARN)
  return nil, bufnr
end

--- Runs a server command once per argument list; returns false (after telling the user) when the
--- server lacks it.
function M.execute(action, ...)
  local client = current_client()
  if client == nil then
    return false
  end
  local command = M.resolve_server_command(client, action)
  if command == nil then
    notify(
      ("this server does not support %s (it does not advertise the `%s` command)"):format(action, server_command_names(action)[1]),
      vim.log.levels.WARN
    )
    return false
  end
  for _, arguments in ipairs({ ... }) do
    client.request("workspace/executeCommand", { command = command, arguments = arguments }, function(err, result)
      if err ~= nil then
        notify(action .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      elseif type(result) == "string" and result ~= "" then
        notify(result)
      end
    end)
  end
  return true
end

--- The command line of the CLI fallback of export (servers without an export command).
function M.export_command(binary, root, format, out)
  return { binary, "export", root, "--format", format, "--out", out }
end

--- Exports the corpus's annotations: through the server when it has the command, else the CLI.
function M.export(format, out)
  format = format or "jsonl"
  local bufnr = vim.api.nvim_get_current_buf()
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr)) or vim.fn.getcwd()
  out = out or (root .. "/export/" .. format)
  local client = M.clients(bufnr)[1]
  if client ~= nil and M.resolve_server_command(client, "exportAnnotations") ~= nil then
    return M.execute("exportAnnotations", { { format = format, out = out } })
  end
  local binary, where = M.find_binary()
  if binary == nil then
    notify("no `gazette` binary found (tried " .. table.concat(where, ", ") .. ")", vim.log.levels.ERROR)
    return false
  end
  local stderr = {}
  vim.fn.jobstart(M.export_command(binary, root, format, out), {
    stderr_buffered = true,
    on_stderr = function(_, data)
      stderr = data
    end,
    on_exit = function(_, code)
      if code == 0 then
        notify(("annotations exported as %s to %s"):format(format, out))
      else
        notify("export failed: " .. table.concat(stderr, "\n"), vim.log.levels.ERROR)
      end
    end,
  })
  return true
end

--- Records the span of the last visual selection (or the given lines) as an accepted annotation.
function M.annotate(label, line1, line2)
  local client, bufnr = current_client()
  if client == nil then
    return false
  end
  if not vim.tbl_contains(M.labels, label) then
    notify("give a label: " .. table.concat(M.labels, ", "), vim.log.levels.WARN)
    return false
  end
  local first, last = vim.api.nvim_buf_get_mark(bufnr, "<"), vim.api.nvim_buf_get_mark(bufnr, ">")
  if first[1] ~= line1 or last[1] ~= line2 then
    -- A line range without a visual selection: the whole lines.
    first, last = { line1, 0 }, { line2, #vim.api.nvim_buf_get_lines(bufnr, line2 - 1, line2, false)[1] }
  end
  local params = vim.lsp.util.make_given_range_params(first, last, bufnr, client.offset_encoding)
  return M.execute("annotateSelection", {
    { uri = params.textDocument.uri, range = params.range, label = label, status = "accepted" },
  })
end

--- Lists the mentions of the locality under the cursor in the quickfix list.
function M.mentions()
  local client = current_client()
  if client == nil then
    return false
  end
  if not client.server_capabilities.referencesProvider then
    notify("this server does not support listing mentions (no textDocument/references)", vim.log.levels.WARN)
    return false
  end
  vim.lsp.buf.references({ includeDeclaration = true })
  return true
end

local function define_commands()
  local handlers = {
    GazetteStart = function()
      M.start(nil, M.find_root(vim.api.nvim_buf_get_name(0)))
    end,
    GazetteRestart = function()
      local bufnrs = {}
      for _, client in ipairs(M.clients()) do
        for bufnr in pairs(client.attached_buffers or {}) do
          table.insert(bufnrs, bufnr)
        end
        client.stop()
      end
      clients_by_root = {}
      vim.defer_fn(function()
        for _, bufnr in ipairs(bufnrs) do
          if vim.api.nvim_buf_is_valid(bufnr) then
            M.start(bufnr, M.find_root(vim.api.nvim_buf_get_name(bufnr)))
          end
        end
      end, 500)
    end,
    GazetteReindex = function()
      M.execute("reindex", {})
    end,
    GazetteExportAnnotations = function(args)
      M.export(args.fargs[1], args.fargs[2] and vim.fn.fnamemodify(args.fargs[2], ":p") or nil)
    end,
    GazetteAcceptAllSuggestions = function(args)
      local labels = args.args ~= "" and { args.args } or M.labels
      local calls = {}
      for _, label in ipairs(labels) do
        table.insert(calls, { { uri = vim.uri_from_bufnr(0), label = label } })
      end
      M.execute("acceptAllSuggestions", (table.unpack or unpack)(calls))
    end,
    GazetteAnnotate = function(args)
      M.annotate(args.args, args.line1, args.line2)
    end,
    GazetteMentions = function()
      M.mentions()
    end,
    GazetteLog = function()
      vim.cmd("edit " .. vim.fn.fnameescape(vim.lsp.get_log_path()))
    end,
  }
  for _, command in ipairs(M.commands) do
    local options = { desc = command.desc }
    if command.name == "GazetteExportAnnotations" then
      options.nargs = "*"
      options.complete = function()
        return M.export_formats
      end
    elseif command.name == "GazetteAcceptAllSuggestions" or command.name == "GazetteAnnotate" then
      options.nargs = command.name == "GazetteAnnotate" and 1 or "?"
      options.range = command.name == "GazetteAnnotate" or nil
      options.complete = function()
        return M.labels
      end
    end
    vim.api.nvim_create_user_command(command.name, handlers[command.name], options)
  end
end

--- Configures the plugin. Call once from your init.lua: `require("gazette").setup({})`.
function M.setup(options)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), options or {})
  local config = M.config
  if config.highlights then
    M.apply_highlights()
    vim.api.nvim_create_autocmd("ColorScheme", {
      group = vim.api.nvim_create_augroup("gazette_highlights", { clear = true }),
      callback = M.apply_highlights,
    })
  end
  if config.commands then
    define_commands()
  end
  if M.start_method() == "vim.lsp.config + vim.lsp.enable" then
    enable_native(config)
  else
    enable_autocmd(config)
  end
  return M
end

--- Which start path this Neovim uses (shown by :checkhealth gazette).
function M.start_method()
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil and has("0.11") then
    return "vim.lsp.config + vim.lsp.enable"
  elseif vim.lsp.start ~= nil then
    return "vim.lsp.start"
  end
  return "vim.lsp.start_client"
end

return M
